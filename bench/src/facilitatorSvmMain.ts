// `node --conditions=@x402kit/source --import tsx bench/src/facilitatorSvmMain.ts [seconds]`:
// the SVM facilitator verify bench alone.
import { formatFacilitatorSvmTable, measureFacilitatorSvm } from "./facilitatorSvm.js";

const seconds = Number(process.argv[2] ?? 3);
const { ratios, ed25519 } = await measureFacilitatorSvm({ seconds });
console.log(`${formatFacilitatorSvmTable(ratios)}\n(our ed25519: ${ed25519})`);
