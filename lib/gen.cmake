# Sources of bda::gen (filled in by the generator work).
