"""Joint rewards and punishments (联合奖惩): checks of a subject for a matter, and feedback."""
