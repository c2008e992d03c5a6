import { route } from "../../lib/registry.js";

export const dynamic = "force-dynamic";
const handler = route("free");

export { handler as GET, handler as OPTIONS };
