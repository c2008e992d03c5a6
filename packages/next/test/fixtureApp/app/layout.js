import { createElement } from "react";

// No JSX: the test builds a copy of this app under node_modules, where nothing is transpiled.
export default function RootLayout({ children }) {
  return createElement("html", { lang: "en" }, createElement("body", null, children));
}
