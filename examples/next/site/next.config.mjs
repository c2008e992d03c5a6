/** The example site. Its build goes under node_modules, out of git's and the linter's way. */
export default { distDir: "node_modules/.next", poweredByHeader: false };
