import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { takeFragmentToken } from "./session";
import "./styles.css";

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root");
// Read once, before React renders (StrictMode would run a component's initializer twice).
const linkToken = takeFragmentToken();
createRoot(root).render(
  <StrictMode>
    <App linkToken={linkToken} />
  </StrictMode>,
);
