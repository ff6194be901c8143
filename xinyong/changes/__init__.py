"""What partners and people without an account read of the subject's side: the change feed
(`feed`) and the progress query by case number and code (`progress`)."""

from xinyong.changes.progress import case_number, progress_code

__all__ = ["case_number", "progress_code"]
