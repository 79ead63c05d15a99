"""Every write of supervision. Outermost services are durable; handlers call the inner functions."""
