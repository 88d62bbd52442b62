/* Copyright Vigil authors.
 *
 * Fixture: an executable built without Vigil (no "vigil_meta" section). */
int main(void) { return 0; }
