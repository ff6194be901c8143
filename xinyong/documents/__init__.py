"""Documents the platform prints: HTML templates rendered to PDF (`pdf.render_pdf`), shared by
the 信用修复告知书 (`xinyong.notices`) and, next, the credit reports."""
