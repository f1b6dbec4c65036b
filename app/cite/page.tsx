import { redirect } from "next/navigation";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The lookup form posts here (GET /cite?ref=…): go to the item's own page. */
export default async function CiteLookup({ searchParams }: Props) {
  const sp = await searchParams;
  const ref = typeof sp.ref === "string" ? sp.ref.trim().slice(0, 200) : "";
  const course = typeof sp.course === "string" ? `?course=${encodeURIComponent(sp.course)}` : "";
  redirect(ref ? `/cite/${encodeURIComponent(ref)}${course}` : "/course");
}
