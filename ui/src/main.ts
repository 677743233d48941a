import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { applyTheme } from "./lib/theme";
import { loadTheme } from "./lib/stores/prefs";

// Before the mount, so the first screen is drawn in the chosen theme.
applyTheme(loadTheme());
const target = document.getElementById("app");
if (!target) throw new Error("index.html lost its #app element");
export default mount(App, { target });
