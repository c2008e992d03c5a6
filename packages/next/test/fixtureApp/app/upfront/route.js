import { route } from "../../lib/registry.js";

export const dynamic = "force-dynamic";
const handler = route("upfront");

export { handler as GET, handler as OPTIONS };
