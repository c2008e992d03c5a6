import { route } from "../../../lib/registry.js";

export const dynamic = "force-dynamic";
const handler = route("wildcard");

export {
  handler as DELETE,
  handler as GET,
  handler as OPTIONS,
  handler as PATCH,
  handler as POST,
  handler as PUT,
};
