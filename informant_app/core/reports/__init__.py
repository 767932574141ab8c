"""The informant's reports beyond the store: import, export and the sample reports."""
