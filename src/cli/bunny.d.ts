/** The 'bunny' package (the Stanford bunny mesh, a dev dependency) ships no types. */
declare module 'bunny' {
  export const positions: number[][];
  export const cells: number[][];
}
