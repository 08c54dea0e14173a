"""Running the notebooks: one run (runner), all of them (batch), and the index of the reports."""
