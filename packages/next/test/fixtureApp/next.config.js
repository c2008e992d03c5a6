/** Route handlers only; the test builds this app in a temporary copy. */
export default { typescript: { ignoreBuildErrors: true }, poweredByHeader: false };
