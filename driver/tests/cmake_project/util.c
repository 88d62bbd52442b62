int probe_scale(int x) { return x * 3; }
