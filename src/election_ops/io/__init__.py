"""Reading and checking input files. Every failure is an InputError naming file, row and column."""
