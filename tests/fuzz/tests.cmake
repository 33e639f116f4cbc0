# Fuzz targets (filled in by the record-parser fuzzer work).
