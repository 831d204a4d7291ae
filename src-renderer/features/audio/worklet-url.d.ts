// Vite's `?worker&url` import: the URL of a file bundled on its own (here, the capture worklet).
// The web tsconfig loads no vite typings, so this one declaration stands in for them.
declare module '*?worker&url' {
  const url: string;
  export default url;
}
