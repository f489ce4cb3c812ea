package org.pingdialer.lead;

/**
 * A set of E.164 numbers as {@code long}s in one open-addressed array: a million numbers take 16
 * MiB instead of the ~100 MiB of a {@code HashSet<String>}, so an import can dedupe a huge file
 * against itself and its list without holding the file. Not thread-safe.
 */
final class NumberSet {
  private static final long EMPTY = 0; // no E.164 number is 0

  private long[] slots = new long[1 << 16];
  private int size;

  /** Adds {@code e164} ("+49301234567"); false when it was already there. */
  boolean add(String e164) {
    long key = Long.parseLong(e164, 1, e164.length(), 10);
    if ((size + 1) * 2L > slots.length) {
      grow();
    }
    boolean added = insert(slots, key);
    if (added) {
      size++;
    }
    return added;
  }

  int size() {
    return size;
  }

  private static boolean insert(long[] table, long key) {
    int mask = table.length - 1;
    int i = spread(key) & mask;
    while (table[i] != EMPTY) {
      if (table[i] == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
    table[i] = key;
    return true;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    for (long key : old) {
      if (key != EMPTY) {
        insert(slots, key);
      }
    }
  }

  private static int spread(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
