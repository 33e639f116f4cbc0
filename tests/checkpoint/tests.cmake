# Unit tests of the checkpoint module (lib/include/bda/checkpoint/): the day checkpoint file, the
# k-way merge of days, the settings and day-file identity, and which days a run may reuse.
bda_add_test(checkpoint/day_checkpoint_test bda::checkpoint ZLIB::ZLIB)
