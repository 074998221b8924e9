"""Digital learning logs: each log definition as an XLSForm workbook and its ODK XForm."""
