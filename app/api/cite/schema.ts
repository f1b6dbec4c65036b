export { citeQuerySchema, type CiteQuery } from "@/lib/cite/lookup";
