"""Red, black and focus lists: list types are policy; entries are records of the list's items;
the listing procedure (拟列入 → 告知 → 列入 → 移出) for entries made in the console."""
