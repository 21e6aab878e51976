/** A `.wasm` import, compiled by the host (workerd, wrangler, miniflare's CompiledWasm rule). */
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
