export default function Home() {
  return <p>x402kit Next.js example: /api/weather, /api/ticker and /api/report cost 0.01 USDC.</p>;
}
