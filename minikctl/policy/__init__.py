"""Policy shared by admission plugins and the quota controller: quantities with their Go format,
quota usage, limit ranges and Pod Security checks. Imported only on the write path."""
