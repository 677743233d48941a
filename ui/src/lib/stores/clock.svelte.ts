// One ticking clock for every countdown on screen: it runs only while something reads it.
import { createSubscriber } from "svelte/reactivity";

let current = Date.now();
const subscribe = createSubscriber((update) => {
  const timer = setInterval(() => {
    current = Date.now();
    update();
  }, 1000);
  current = Date.now();
  return () => clearInterval(timer);
});

/** Milliseconds since the epoch, refreshed every second while read in an effect or template. */
export function now(): number {
  subscribe();
  return current;
}
