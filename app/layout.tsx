import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { OutlineLink } from "@/components/site/outline-link";
import "katex/dist/katex.min.css";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Course tutor", template: "%s · Course tutor" },
  description: "Ask the course notes: answers that cite sections and exercises.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, colorScheme: "light dark" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="brand">
            Course tutor
          </Link>
          <nav aria-label="Main">
            <Link href="/">Ask</Link>
            <OutlineLink />
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
