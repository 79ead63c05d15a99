"""The applicant's pages (网上办事): apply, drafts, receipts, my cases, supplement, withdraw, progress."""
