/**
 * V8 gives the objects of a class a layout (a hidden class, or "map") as their fields are first
 * assigned, and keeps a layout only while some object still has it. Optimised code embeds the
 * layouts it was compiled for and is thrown away when one of them is collected. A solver's objects
 * all die with its solve, so every full garbage collection between two solves used to discard the
 * solvers' compiled code ("marking dependent code ... for deoptimization, reason: weak objects"
 * under `node --trace-deopt`), and the next solve ran unoptimised again while V8 recompiled it.
 * Each module that builds such objects per solve keeps one idle, empty instance here for the life
 * of the process, built with the most general field values (a fractional scale, say), so that real
 * instances take the same layout and never change it.
 */
const kept: object[] = [];

export function keepShape(instance: object): void {
  kept.push(instance);
}
