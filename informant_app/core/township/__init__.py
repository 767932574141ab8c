"""The township report (rule 12) and its export as the quick-report workbook."""
