import { CiteMiss } from "@/components/not-found/cite-miss";

/** An unknown label (or course): 404 with the same friendly page as before, nearest labels included. */
export default function CiteNotFound() {
  return <CiteMiss />;
}
