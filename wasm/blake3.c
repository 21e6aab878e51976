// BLAKE3-256 for the SDK's hasher, written from the BLAKE3 specification
// (https://github.com/BLAKE3-team/BLAKE3-specs): compression function, 1 KiB chunks,
// binary tree of parent nodes, ROOT flag on the last compression. Built by
// wasm/build.mjs into blake3.wasm (with WebAssembly SIMD: four chunks side by side),
// blake3-jsc.wasm (the same, its four-chunk rounds a loop, for JavaScriptCore on x86-64)
// and blake3-scalar.wasm (without SIMD, for runtimes that lack it).
//
// No allocator and no imports: JavaScript writes the bytes into linear memory itself
// and hands over (pointer, length). Exports:
//   hash(input, length, out)          one call for a whole input (as init, update and finalize)
//   init(state)                       starts an incremental hash in STATE_BYTES at state
//   update(state, input, length)      adds bytes
//   finalize(state, out)              writes the 32-byte hash (the state stays usable),
//                                     then at out+32 the 67 ASCII bytes `b3:` + its hex
//   state_bytes()                     size of a state
//   __heap_base                       first byte that no C data or stack uses

#include <stdint.h>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define CHUNK_LEN 1024
#define BLOCK_LEN 64
#define CHUNK_START 1u
#define CHUNK_END 2u
#define PARENT 4u
#define ROOT 8u
/* Enough for 2^54 chunks: far beyond any input a 32-bit memory can stream. */
#define MAX_DEPTH 54

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

static const uint32_t IV[8] = {
  0x6A09E667u, 0xBB67AE85u, 0x3C6EF372u, 0xA54FF53Au,
  0x510E527Fu, 0x9B05688Cu, 0x1F83D9ABu, 0x5BE0CD19u,
};

/* The message word each of the 16 G inputs takes in each of the 7 rounds: round 0 is
   the identity, each next one applies the permutation (2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8). */
static const uint8_t SCHEDULE[7][16] = {
  {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
  {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
  {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
  {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
  {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
  {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
  {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};

/* The 7 rounds over a state held in v0..v15, each round's G (scalar or four lanes) taking
   the message words `m` in that round's order: the four columns, then the four diagonals. */
#define SEVEN_ROUNDS(G_, m)                          \
  _Pragma("clang loop unroll(full)")                 \
  for (int r = 0; r < 7; r++) {                      \
    const uint8_t *s = SCHEDULE[r];                  \
    G_(v0, v4, v8, v12, m[s[0]], m[s[1]]);           \
    G_(v1, v5, v9, v13, m[s[2]], m[s[3]]);           \
    G_(v2, v6, v10, v14, m[s[4]], m[s[5]]);          \
    G_(v3, v7, v11, v15, m[s[6]], m[s[7]]);          \
    G_(v0, v5, v10, v15, m[s[8]], m[s[9]]);          \
    G_(v1, v6, v11, v12, m[s[10]], m[s[11]]);        \
    G_(v2, v7, v8, v13, m[s[12]], m[s[13]]);         \
    G_(v3, v4, v9, v14, m[s[14]], m[s[15]]);         \
  }

INLINE uint32_t load32(const uint8_t *p) {
  uint32_t w;
  __builtin_memcpy(&w, p, 4); /* wasm is little-endian, as BLAKE3 words are */
  return w;
}

INLINE void store32(uint8_t *p, uint32_t w) { __builtin_memcpy(p, &w, 4); }

/* At most a block: four bytes at a time, then the rest. Not inlined: clang vectorizes the
   loop into code that would be repeated at every call. */
__attribute__((noinline)) static void copy_bytes(uint8_t *to, const uint8_t *from, uint32_t n) {
  uint32_t i = 0;
  for (; i + 4 <= n; i += 4) store32(to + i, load32(from + i));
  for (; i < n; i++) to[i] = from[i];
}

/* `block` = the n bytes at `from` (at most a block), zero-padded to a whole block. */
static void padded_block(uint8_t block[BLOCK_LEN], const uint8_t *from, uint32_t n) {
  for (int i = 0; i < BLOCK_LEN; i += 4) store32(block + i, 0);
  copy_bytes(block, from, n);
}

#ifdef __wasm_simd128__
/* Rotations by whole bytes move bytes within each lane: a swizzle by a constant, which
   V8 compiles to one pshufb, its mask kept in a register across the compression's loop.
   (The same move as an i8x16.shuffle becomes pshuflw + pshufhw, two dependent steps, for
   the 16-bit rotation, and rebuilds the mask at every use for the 8-bit one.) */
INLINE v128_t rotr16(v128_t x) { return wasm_i8x16_swizzle(x, wasm_i8x16_const(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)); }
INLINE v128_t rotr8(v128_t x) { return wasm_i8x16_swizzle(x, wasm_i8x16_const(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)); }
INLINE v128_t rotr12(v128_t x) { return wasm_v128_or(wasm_u32x4_shr(x, 12), wasm_i32x4_shl(x, 20)); }
INLINE v128_t rotr7(v128_t x) { return wasm_v128_or(wasm_u32x4_shr(x, 7), wasm_i32x4_shl(x, 25)); }

/* G on four (a, b, c, d) at once, one per lane. The message word goes into a before b
   does: a is ready long before b, the last word G computes, so only the add of b waits. */
#define G4(a, b, c, d, x, y)                                 \
  do {                                                       \
    a = wasm_i32x4_add(a, x);                                \
    G4_ADDED(a, b, c, d, y);                                 \
  } while (0)

/* G4 for an a that already holds a + x. */
#define G4_ADDED(a, b, c, d, y)                              \
  do {                                                       \
    a = wasm_i32x4_add(a, b);                                \
    d = rotr16(wasm_v128_xor(d, a));                         \
    c = wasm_i32x4_add(c, d);                                \
    b = rotr12(wasm_v128_xor(b, c));                         \
    a = wasm_i32x4_add(wasm_i32x4_add(a, y), b);             \
    d = rotr8(wasm_v128_xor(d, a));                          \
    c = wasm_i32x4_add(c, d);                                \
    b = rotr7(wasm_v128_xor(b, c));                          \
  } while (0)

/* The compression function with the state as four rows: the four column G at once, then
   the rows rotated so that the diagonals line up as columns, the four diagonal G, back.
   A single compression costs the longest chain of dependent steps through its 7 rounds,
   so everything that can happen while b (the last word G computes) is still being
   computed does: row 1 (b) stays put and rows 0, 2 and 3 move, and each round's first
   message words are added to row 0 at the end of the round before (where the compiler
   cannot fold them back behind b).
   The message words stay in four vectors in the order the G take them (x1, y1: the
   columns' first and second words; x2, y2: the diagonals', starting with the one through
   v4), and each round's permutation is applied to those four by shuffles rather than
   gathering sixteen words a round. Every round is the same code, so the rounds stay a
   loop. Not inlined: a copy at every call site would make the module five times as large. */
__attribute__((noinline)) static void compress(uint32_t cv[8], const uint8_t block[BLOCK_LEN], uint64_t counter, uint32_t block_len, uint32_t flags) {
  const v128_t q0 = wasm_v128_load(block), q1 = wasm_v128_load(block + 16);
  const v128_t q2 = wasm_v128_load(block + 32), q3 = wasm_v128_load(block + 48);
  /* Words m0..m15 of this round: x1 = (m0 m2 m4 m6), y1 = (m1 m3 m5 m7), x2 = (m14 m8 m10 m12), y2 = (m15 m9 m11 m13). */
  v128_t x1 = wasm_i32x4_shuffle(q0, q1, 0, 2, 4, 6), y1 = wasm_i32x4_shuffle(q0, q1, 1, 3, 5, 7);
  v128_t x2 = wasm_i32x4_shuffle(q2, q3, 6, 0, 2, 4), y2 = wasm_i32x4_shuffle(q2, q3, 7, 1, 3, 5);
  v128_t row0 = wasm_v128_load(cv), row1 = wasm_v128_load(cv + 4);
  v128_t row2 = wasm_v128_load(IV);
  v128_t row3 = wasm_i32x4_make((uint32_t)counter, (uint32_t)(counter >> 32), block_len, flags);
  row0 = wasm_i32x4_add(row0, x1);
  _Pragma("clang loop unroll(disable)")
  for (int r = 0; r < 7; r++) {
    G4_ADDED(row0, row1, row2, row3, y1);
    /* Lane i now holds the diagonal through v[4+i]: (v3 v4 v9 v14), (v0 v5 v10 v15), ... */
    row0 = wasm_i32x4_shuffle(row0, row0, 3, 0, 1, 2);
    row2 = wasm_i32x4_shuffle(row2, row2, 1, 2, 3, 0);
    row3 = wasm_i32x4_shuffle(row3, row3, 2, 3, 0, 1);
    G4(row0, row1, row2, row3, x2, y2);
    row0 = wasm_i32x4_shuffle(row0, row0, 1, 2, 3, 0);
    row2 = wasm_i32x4_shuffle(row2, row2, 3, 0, 1, 2);
    row3 = wasm_i32x4_shuffle(row3, row3, 2, 3, 0, 1);
    if (r == 6) break;
    /* The next round's words: m'[i] = m[P[i]], P = (2 6 3 10 7 0 4 13 1 11 12 5 9 14 15 8), so
       x1' = (m2 m3 m7 m4), y1' = (m6 m10 m0 m13), x2' = (m15 m1 m12 m9), y2' = (m8 m11 m5 m14). */
    const v128_t nx1 = wasm_i32x4_shuffle(x1, y1, 1, 5, 7, 2);
    const v128_t ny1 = wasm_i32x4_shuffle(wasm_i32x4_shuffle(x1, x2, 3, 6, 0, 0), y2, 0, 1, 2, 7);
    const v128_t nx2 = wasm_i32x4_shuffle(wasm_i32x4_shuffle(y2, y1, 0, 4, 1, 1), x2, 0, 1, 7, 2);
    const v128_t ny2 = wasm_i32x4_shuffle(wasm_i32x4_shuffle(x2, y2, 1, 6, 0, 0), y1, 0, 1, 6, 2);
    x1 = nx1; y1 = ny1; x2 = nx2; y2 = ny2;
    row0 = wasm_i32x4_add(row0, x1);
  }
  wasm_v128_store(cv, wasm_v128_xor(row0, row2));
  wasm_v128_store(cv + 4, wasm_v128_xor(row1, row3));
}
#else
INLINE uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

#define G(a, b, c, d, x, y)          \
  do {                               \
    a = a + b + (x);                 \
    d = rotr(d ^ a, 16);             \
    c = c + d;                       \
    b = rotr(b ^ c, 12);             \
    a = a + b + (y);                 \
    d = rotr(d ^ a, 8);              \
    c = c + d;                       \
    b = rotr(b ^ c, 7);              \
  } while (0)

/* The compression function, truncated to the 8 words every use here needs:
   cv = first half of compress(cv, block, counter, block_len, flags). */
static void compress(uint32_t cv[8], const uint8_t block[BLOCK_LEN], uint64_t counter, uint32_t block_len, uint32_t flags) {
  uint32_t m[16];
  for (int i = 0; i < 16; i++) m[i] = load32(block + 4 * i);
  uint32_t v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3];
  uint32_t v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
  uint32_t v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3];
  uint32_t v12 = (uint32_t)counter, v13 = (uint32_t)(counter >> 32), v14 = block_len, v15 = flags;
  SEVEN_ROUNDS(G, m);
  cv[0] = v0 ^ v8; cv[1] = v1 ^ v9; cv[2] = v2 ^ v10; cv[3] = v3 ^ v11;
  cv[4] = v4 ^ v12; cv[5] = v5 ^ v13; cv[6] = v6 ^ v14; cv[7] = v7 ^ v15;
}

#endif

/* The chaining value of one chunk of `length` bytes (0..CHUNK_LEN) straight from the
   input, its last block zero-padded and given `flags` (ROOT for a chunk that is the root). */
static void chunk_output(const uint8_t *input, uint32_t length, uint64_t counter, uint32_t flags, uint32_t cv[8]) {
  for (int i = 0; i < 8; i++) cv[i] = IV[i];
  uint32_t start = CHUNK_START;
  for (; length > BLOCK_LEN; input += BLOCK_LEN, length -= BLOCK_LEN) {
    compress(cv, input, counter, BLOCK_LEN, start);
    start = 0;
  }
  uint8_t block[BLOCK_LEN];
  padded_block(block, input, length);
  compress(cv, block, counter, length, start | CHUNK_END | flags);
}

#ifdef __wasm_simd128__
/* Four chunks at once, each in one lane of every vector: the chaining values of
   chunks[0..lanes) (consecutive, CHUNK_LEN apart), counters counter..counter+lanes-1.
   The last of them, lane lanes-1, holds last_len bytes (1..CHUNK_LEN): a shorter chunk
   ends early (CHUNK_END on its last block, zero-padded, with its length) and its lane
   keeps its value through the blocks after that. Lanes past `lanes` compress zeros and
   are not written out; no byte past the input is read. */

/* Rows a, b, c, d (one per chunk) into columns: out[k] holds word k of each. */
INLINE void transpose(v128_t a, v128_t b, v128_t c, v128_t d, v128_t out[4]) {
  v128_t ab01 = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5);
  v128_t ab23 = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
  v128_t cd01 = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5);
  v128_t cd23 = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);
  out[0] = wasm_i32x4_shuffle(ab01, cd01, 0, 1, 4, 5);
  out[1] = wasm_i32x4_shuffle(ab01, cd01, 2, 3, 6, 7);
  out[2] = wasm_i32x4_shuffle(ab23, cd23, 0, 1, 4, 5);
  out[3] = wasm_i32x4_shuffle(ab23, cd23, 2, 3, 6, 7);
}

__attribute__((noinline)) static void chunk_cv4(const uint8_t *chunks, uint32_t lanes, uint32_t last_len, uint64_t counter, uint32_t out[4][8]) {
  static const uint8_t ZEROS[BLOCK_LEN];
  uint32_t lo[4], hi[4];
  for (uint32_t i = 0; i < 4; i++) {
    lo[i] = (uint32_t)(counter + i);
    hi[i] = (uint32_t)((counter + i) >> 32);
  }
  const v128_t counter_lo = wasm_v128_load(lo), counter_hi = wasm_v128_load(hi);
  /* The short lane's last block (last_block), zero-padded, and its length. */
  const uint32_t short_lane = lanes - 1;
  const uint32_t last_block = (last_len - 1) / BLOCK_LEN;
  const uint32_t tail_len = last_len - last_block * BLOCK_LEN;
  uint8_t tail[BLOCK_LEN];
  padded_block(tail, chunks + short_lane * CHUNK_LEN + last_block * BLOCK_LEN, tail_len);
  uint32_t ends[4]; /* each lane's last block */
  for (uint32_t i = 0; i < 4; i++) ends[i] = i == short_lane ? last_block : CHUNK_LEN / BLOCK_LEN - 1;
  v128_t h[8];
  for (int i = 0; i < 8; i++) h[i] = wasm_i32x4_splat(IV[i]);
  for (uint32_t b = 0; b < CHUNK_LEN / BLOCK_LEN; b++) {
    const uint8_t *q[4];
    for (uint32_t i = 0; i < 4; i++) q[i] = i < lanes ? chunks + i * CHUNK_LEN + b * BLOCK_LEN : ZEROS;
    uint32_t block_lens[4] = {BLOCK_LEN, BLOCK_LEN, BLOCK_LEN, BLOCK_LEN};
    uint32_t flag_words[4];
    for (uint32_t i = 0; i < 4; i++) flag_words[i] = (b == 0 ? CHUNK_START : 0) | (b == ends[i] ? CHUNK_END : 0);
    if (b == last_block) {
      q[short_lane] = tail;
      block_lens[short_lane] = tail_len;
    } else if (b > last_block) {
      q[short_lane] = ZEROS; /* past its end: computed, then dropped */
    }
    v128_t m[16];
    for (int w = 0; w < 4; w++) {
      transpose(wasm_v128_load(q[0] + 16 * w), wasm_v128_load(q[1] + 16 * w),
                wasm_v128_load(q[2] + 16 * w), wasm_v128_load(q[3] + 16 * w), m + 4 * w);
    }
    v128_t v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3], v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
    v128_t v8 = wasm_i32x4_splat(IV[0]), v9 = wasm_i32x4_splat(IV[1]);
    v128_t v10 = wasm_i32x4_splat(IV[2]), v11 = wasm_i32x4_splat(IV[3]);
    v128_t v12 = counter_lo, v13 = counter_hi, v14 = wasm_v128_load(block_lens), v15 = wasm_v128_load(flag_words);
#ifdef FOUR_CHUNK_ROUNDS_LOOP
    /* blake3-jsc.wasm: the rounds as a loop, each message word looked up in SCHEDULE. V8 and
       SpiderMonkey run the unrolled rounds 6-18% faster; JavaScriptCore on x86-64 runs this
       loop in half the time of the unrolled rounds, whose 32 live vectors it spills to 16
       registers far more. */
    _Pragma("clang loop unroll(disable)")
    for (int r = 0; r < 7; r++) {
      const uint8_t *s = SCHEDULE[r];
      G4(v0, v4, v8, v12, m[s[0]], m[s[1]]);
      G4(v1, v5, v9, v13, m[s[2]], m[s[3]]);
      G4(v2, v6, v10, v14, m[s[4]], m[s[5]]);
      G4(v3, v7, v11, v15, m[s[6]], m[s[7]]);
      G4(v0, v5, v10, v15, m[s[8]], m[s[9]]);
      G4(v1, v6, v11, v12, m[s[10]], m[s[11]]);
      G4(v2, v7, v8, v13, m[s[12]], m[s[13]]);
      G4(v3, v4, v9, v14, m[s[14]], m[s[15]]);
    }
#else
    SEVEN_ROUNDS(G4, m);
#endif
    /* Lanes whose chunk ended before this block keep their value. */
    uint32_t live_words[4];
    for (uint32_t i = 0; i < 4; i++) live_words[i] = b <= ends[i] ? 0xFFFFFFFFu : 0;
    const v128_t live = wasm_v128_load(live_words);
    h[0] = wasm_v128_bitselect(wasm_v128_xor(v0, v8), h[0], live); h[1] = wasm_v128_bitselect(wasm_v128_xor(v1, v9), h[1], live);
    h[2] = wasm_v128_bitselect(wasm_v128_xor(v2, v10), h[2], live); h[3] = wasm_v128_bitselect(wasm_v128_xor(v3, v11), h[3], live);
    h[4] = wasm_v128_bitselect(wasm_v128_xor(v4, v12), h[4], live); h[5] = wasm_v128_bitselect(wasm_v128_xor(v5, v13), h[5], live);
    h[6] = wasm_v128_bitselect(wasm_v128_xor(v6, v14), h[6], live); h[7] = wasm_v128_bitselect(wasm_v128_xor(v7, v15), h[7], live);
  }
  v128_t low[4], high[4];
  transpose(h[0], h[1], h[2], h[3], low);  /* low[i] = words 0..3 of chunk i */
  transpose(h[4], h[5], h[6], h[7], high); /* high[i] = words 4..7 of chunk i */
  for (uint32_t i = 0; i < lanes; i++) {
    wasm_v128_store(out[i], low[i]);
    wasm_v128_store(out[i] + 4, high[i]);
  }
}
#endif

/* An incremental hash: the chunk being filled, and the chaining values of the complete
   subtrees to its left (at most one per level, merged as soon as a sibling completes). */
typedef struct {
  uint32_t cv[8];           /* of the chunk being filled, after its compressed blocks */
  uint64_t chunk_counter;   /* index of that chunk */
  uint8_t block[BLOCK_LEN]; /* its bytes not compressed yet */
  uint32_t block_len;
  uint32_t blocks_compressed;
  uint32_t stack_len;
  uint32_t stack[MAX_DEPTH][8];
} hasher;

EXPORT(state_bytes) uint32_t state_bytes(void) { return sizeof(hasher); }

static void start_chunk(hasher *h, uint64_t counter) {
  for (int i = 0; i < 8; i++) h->cv[i] = IV[i];
  h->chunk_counter = counter;
  h->block_len = 0;
  h->blocks_compressed = 0;
}

EXPORT(init) void init(hasher *h) {
  start_chunk(h, 0);
  h->stack_len = 0;
}

/* cv = the chaining value of the parent node of (left, cv), with `flags` (PARENT, and ROOT for the root). */
static void parent_cv(const uint32_t left[8], uint32_t cv[8], uint32_t flags) {
  uint8_t block[BLOCK_LEN];
  for (int i = 0; i < 8; i++) {
    store32(block + 4 * i, left[i]);
    store32(block + 32 + 4 * i, cv[i]);
  }
  for (int i = 0; i < 8; i++) cv[i] = IV[i];
  compress(cv, block, 0, BLOCK_LEN, flags);
}

/* Pushes the chaining value of chunk number total-1 (not the last chunk), first merging it
   with every left sibling it completes: one per trailing zero bit of `total`. */
static void push_chunk_cv(hasher *h, uint32_t cv[8], uint64_t total) {
  while ((total & 1) == 0) {
    parent_cv(h->stack[--h->stack_len], cv, PARENT);
    total >>= 1;
  }
  for (int i = 0; i < 8; i++) h->stack[h->stack_len][i] = cv[i];
  h->stack_len++;
}

INLINE uint32_t chunk_len(const hasher *h) { return h->blocks_compressed * BLOCK_LEN + h->block_len; }

/* The filled chunk state is complete and more input follows: push its chaining value. */
static void finish_chunk(hasher *h) {
  compress(h->cv, h->block, h->chunk_counter, BLOCK_LEN, (h->blocks_compressed == 0 ? CHUNK_START : 0) | CHUNK_END);
  push_chunk_cv(h, h->cv, h->chunk_counter + 1);
  start_chunk(h, h->chunk_counter + 1);
}

EXPORT(update) void update(hasher *h, const uint8_t *input, uint32_t length) {
  while (length > 0) {
    if (chunk_len(h) == CHUNK_LEN) finish_chunk(h); /* more input follows */
    if (chunk_len(h) == 0 && length > CHUNK_LEN) {
      /* Whole chunks straight from the input, keeping back at least one byte, so the
         last chunk always goes through the chunk state (it may be the root). */
      uint32_t whole = (length - 1) / CHUNK_LEN;
#ifdef __wasm_simd128__
      while (whole >= 2) {
        uint32_t lanes = whole < 4 ? whole : 4;
        uint32_t cvs[4][8];
        chunk_cv4(input, lanes, CHUNK_LEN, h->chunk_counter, cvs);
        for (uint32_t i = 0; i < lanes; i++) push_chunk_cv(h, cvs[i], h->chunk_counter + i + 1);
        h->chunk_counter += lanes;
        input += lanes * CHUNK_LEN;
        length -= lanes * CHUNK_LEN;
        whole -= lanes;
      }
#endif
      while (whole > 0) {
        uint32_t cv[8];
        chunk_output(input, CHUNK_LEN, h->chunk_counter, 0, cv);
        push_chunk_cv(h, cv, h->chunk_counter + 1);
        h->chunk_counter++;
        input += CHUNK_LEN;
        length -= CHUNK_LEN;
        whole--;
      }
      continue;
    }
    /* Into the chunk state: compress its block when full and more bytes follow. */
    if (h->block_len == BLOCK_LEN) {
      compress(h->cv, h->block, h->chunk_counter, BLOCK_LEN, h->blocks_compressed == 0 ? CHUNK_START : 0);
      h->blocks_compressed++;
      h->block_len = 0;
    }
    if (h->block_len == 0) {
      /* Whole blocks straight from the input while more bytes follow them in this chunk. */
      while (length > BLOCK_LEN && chunk_len(h) + BLOCK_LEN < CHUNK_LEN) {
        compress(h->cv, input, h->chunk_counter, BLOCK_LEN, h->blocks_compressed == 0 ? CHUNK_START : 0);
        h->blocks_compressed++;
        input += BLOCK_LEN;
        length -= BLOCK_LEN;
      }
    }
    uint32_t take = BLOCK_LEN - h->block_len;
    if (take > length) take = length;
    copy_bytes(h->block + h->block_len, input, take);
    h->block_len += take;
    input += take;
    length -= take;
  }
}

/* The output: the 32 bytes of the root chaining value `cv`, then `b3:` and their hex. */
static void write_out(const uint32_t cv[8], uint8_t out[32 + 67]) {
  for (int i = 0; i < 8; i++) store32(out + 4 * i, cv[i]);
  /* The semantic hash's text, for JavaScript to decode in one call: each byte's two hex
     digits (with SIMD: sixteen bytes' high and low nibbles looked up at once, interleaved). */
  static const char DIGITS[16] = "0123456789abcdef";
  out[32] = 'b';
  out[33] = '3';
  out[34] = ':';
#ifdef __wasm_simd128__
  const v128_t digits = wasm_v128_load(DIGITS);
  const v128_t low4 = wasm_i8x16_splat(15);
  for (int half = 0; half < 2; half++) {
    v128_t bytes = wasm_v128_load(out + 16 * half);
    v128_t hi = wasm_i8x16_swizzle(digits, wasm_u8x16_shr(bytes, 4));
    v128_t lo = wasm_i8x16_swizzle(digits, wasm_v128_and(bytes, low4));
    wasm_v128_store(out + 35 + 32 * half, wasm_i8x16_shuffle(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
    wasm_v128_store(out + 51 + 32 * half, wasm_i8x16_shuffle(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31));
  }
#else
  for (int i = 0; i < 32; i++) {
    out[35 + 2 * i] = DIGITS[out[i] >> 4];
    out[36 + 2 * i] = DIGITS[out[i] & 15];
  }
#endif
}

/* cv = the root of the stack and `cv` (the last chunk's chaining value), folding from the
   right: each parent of (left subtree, everything after it); the stack is not empty. */
static void fold_stack(const hasher *h, uint32_t cv[8]) {
  for (uint32_t n = h->stack_len; n > 0;) {
    n--;
    parent_cv(h->stack[n], cv, PARENT | (n == 0 ? ROOT : 0));
  }
}

EXPORT(finalize) void finalize(const hasher *h, uint8_t out[32 + 67]) {
  uint32_t flags = (h->blocks_compressed == 0 ? CHUNK_START : 0) | CHUNK_END;
  uint8_t block[BLOCK_LEN];
  padded_block(block, h->block, h->block_len);
  uint32_t cv[8];
  for (int i = 0; i < 8; i++) cv[i] = h->cv[i];
  if (h->stack_len == 0) {
    compress(cv, block, h->chunk_counter, h->block_len, flags | ROOT);
  } else {
    compress(cv, block, h->chunk_counter, h->block_len, flags);
    fold_stack(h, cv);
  }
  write_out(cv, out);
}

static hasher one_shot;

/* One call for a whole input: a single chunk straight from the input; more chunks (with
   SIMD) four at a time, the last, maybe short chunk in the last group, its chaining
   value folded with the stack as `finalize` folds the chunk state's. */
EXPORT(hash) void hash(const uint8_t *input, uint32_t length, uint8_t out[32 + 67]) {
  uint32_t cv[8];
  if (length <= CHUNK_LEN) {
    chunk_output(input, length, 0, ROOT, cv);
    write_out(cv, out);
    return;
  }
#ifdef __wasm_simd128__
  hasher *h = &one_shot;
  init(h);
  uint64_t counter = 0;
  for (uint32_t chunks = (length + CHUNK_LEN - 1) / CHUNK_LEN; chunks > 0;) {
    if (chunks == 1) { /* the last chunk alone: not the root, as there are more */
      chunk_output(input, length, counter, 0, cv);
      break;
    }
    uint32_t lanes = chunks < 4 ? chunks : 4;
    int last = lanes == chunks;
    uint32_t cvs[4][8];
    chunk_cv4(input, lanes, last ? length - (lanes - 1) * CHUNK_LEN : CHUNK_LEN, counter, cvs);
    for (uint32_t i = 0; i < lanes - last; i++) push_chunk_cv(h, cvs[i], counter + i + 1);
    if (last) {
      for (int i = 0; i < 8; i++) cv[i] = cvs[lanes - 1][i];
      break;
    }
    counter += lanes;
    input += lanes * CHUNK_LEN;
    length -= lanes * CHUNK_LEN;
    chunks -= lanes;
  }
  fold_stack(h, cv);
  write_out(cv, out);
#else
  init(&one_shot);
  update(&one_shot, input, length);
  finalize(&one_shot, out);
#endif
}
