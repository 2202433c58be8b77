package io.pekkozmq.engine.pattern;

/**
 * An {@code int} to value map with open addressing (linear probing, deletion by backward shift),
 * so SERVER's per-message lookup by routing id neither boxes nor allocates. Key 0 is never stored
 * (SERVER never assigns it). Single-threaded.
 */
final class IntMap<V> {
  private int[] keys = new int[16];
  private Object[] values = new Object[16];
  private int size;

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(int key) {
    if (key == 0) return null;
    int mask = keys.length - 1;
    for (int i = slot(key, mask); keys[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == key) return (V) values[i];
    }
    return null;
  }

  void put(int key, V value) {
    if (key == 0) throw new IllegalArgumentException("key 0 is reserved");
    if ((size + 1) * 2 > keys.length) grow();
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (keys[i] != 0 && keys[i] != key) i = (i + 1) & mask;
    if (keys[i] == 0) size++;
    keys[i] = key;
    values[i] = value;
  }

  void remove(int key) {
    if (key == 0) return;
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (keys[i] != key) {
      if (keys[i] == 0) return;
      i = (i + 1) & mask;
    }
    size--;
    // shift later entries of the same probe run back, so no lookup stops at the hole
    int hole = i;
    for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = 0;
    values[hole] = null;
  }

  private void grow() {
    int[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new int[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        @SuppressWarnings("unchecked")
        V v = (V) oldValues[i];
        put(oldKeys[i], v);
      }
    }
  }

  private static int slot(int key, int mask) {
    int h = key * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }

  @Override
  public String toString() {
    return "IntMap(" + size + " entries)";
  }
}
