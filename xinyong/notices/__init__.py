"""Documents the platform serves on a subject: the numbered 信用修复告知书 (两书同达)."""
