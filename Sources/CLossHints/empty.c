/* CLossHints is header-only (include/losscore_hints.h); SwiftPM needs one source. */
