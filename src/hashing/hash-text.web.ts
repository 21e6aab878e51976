// The semantic hash's text, read out of wasm memory, in browsers and workerd (Node, Deno
// and Bun: src/hashing/hash-text.ts).

/**
 * The 67 ASCII bytes of `text` (`b3:` and 64 hex digits) as a string: one `String.fromCharCode`
 * call with each byte an argument. Browsers' `TextDecoder` costs more than that for so short
 * a text: this made the small payload's hash 0.78–0.90× as long in Chromium and 0.87× in
 * Firefox as it was with the decoder, the rest the same, in alternating rounds on one page.
 * @internal
 */
export function readHashText(text: Uint8Array): string {
  return String.fromCharCode(
    text[0]!, text[1]!, text[2]!, text[3]!, text[4]!, text[5]!, text[6]!, text[7]!, text[8]!, text[9]!,
    text[10]!, text[11]!, text[12]!, text[13]!, text[14]!, text[15]!, text[16]!, text[17]!, text[18]!, text[19]!,
    text[20]!, text[21]!, text[22]!, text[23]!, text[24]!, text[25]!, text[26]!, text[27]!, text[28]!, text[29]!,
    text[30]!, text[31]!, text[32]!, text[33]!, text[34]!, text[35]!, text[36]!, text[37]!, text[38]!, text[39]!,
    text[40]!, text[41]!, text[42]!, text[43]!, text[44]!, text[45]!, text[46]!, text[47]!, text[48]!, text[49]!,
    text[50]!, text[51]!, text[52]!, text[53]!, text[54]!, text[55]!, text[56]!, text[57]!, text[58]!, text[59]!,
    text[60]!, text[61]!, text[62]!, text[63]!, text[64]!, text[65]!, text[66]!,
  );
}
