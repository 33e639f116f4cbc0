# Unit tests of bda::core
