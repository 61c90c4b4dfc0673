/** color-name ships no types: the CSS colour names, lower case, as [r, g, b]. */
declare module 'color-name' {
  const names: Record<string, [number, number, number]>;
  export default names;
}
