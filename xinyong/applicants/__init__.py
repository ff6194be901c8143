"""Applicant accounts: a subject's own way in, opened with an activation code (issue 13)."""
