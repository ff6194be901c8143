"""Objections (异议): a subject disputes its own record or basic information (issue 13)."""
