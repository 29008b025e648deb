"""``txkg explain``: ranked mechanism paths for predicted indications."""
