"""Background jobs: arq workers with Redis, or in-process without it; status rows for both."""
