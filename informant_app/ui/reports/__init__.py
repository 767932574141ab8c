"""The informant's reports: the list, the generated form, photos, history and import."""
