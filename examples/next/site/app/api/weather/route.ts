export const dynamic = "force-dynamic";

// Priced by proxy.ts: this handler runs only for a verified payment.
export async function GET() {
  return Response.json({ city: "Lisbon", forecast: "sunny", celsius: 21 });
}
