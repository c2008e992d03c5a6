import { withX402 } from "@x402kit/next";
import { type NextRequest, NextResponse } from "next/server";
import { accepts, server } from "../../../lib/payments";

export const dynamic = "force-dynamic";

// Wrapped route handler: settled only after the handler answered < 400.
export const GET = withX402(
  async (_request: NextRequest) => NextResponse.json({ report: "Q3 revenue up 12%" }),
  { "GET /api/report": { accepts, description: "The quarterly report", mimeType: "application/json" } },
  server,
);
