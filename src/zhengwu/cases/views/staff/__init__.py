"""The workbench case pages (窗口、后台): tasks, window intake, acceptance, the case page, bundles."""
