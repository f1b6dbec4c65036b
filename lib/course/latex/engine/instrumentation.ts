/**
 * The TeX instrumentation layer: a file read before the author's main file
 * (`\input{<INSTRUMENT_FILE>}\input{main.tex}` on the command line, so no author file is edited). It hooks
 * the kernel (and hyperref, amsthm, enumitem when they are loaded) and writes one record per line to
 * `\jobname.tutortrace<n>` (parts, so that a killed run leaves what it traced): tab-separated fields, the first a one-letter record type (see trace-records.ts, which
 * parses them). Every record carries where TeX was reading: `\CurrentFilePathUsed`, `\CurrentFileUsed`
 * (LaTeX kernel ≥ 2021; older kernels give the main file) and `\inputlineno`.
 *
 * What is hooked, and why there:
 * - `\stepcounter` (now) and `\refstepcounter` + hyperref's `\H@refstepcounter` (at the end of
 *   `\begin{document}`, after hyperref has wrapped them; hooked again at each `\begin`, heading and file when a
 *   package redefined one since: amstext's `\stepcounter`, cleveref's `\appendix`). A depth counter keeps the inner steps of one step (the
 *   kernel's `\@stpelt` resets step every counter "within" to -1 and up to 0; `\refstepcounter` calls
 *   `\stepcounter`) out of the trace, so a record is one step the author asked for.
 * - The inner macros of the robust `\begin` and `\end`: environment begin/end (`\end {x}` too: TeX skips the space).
 * - `\@argdef`/`\@xargdef`, through which every `\newcommand`/`\renewcommand` passes: a command whose body steps a
 *   counter is a "box macro" (`\newcommand{\definition}[3]{…\refstepcounter{definitioncounter}…}`); its body
 *   is recorded (the printed name is in it: "Definition \thedefinitioncounter") and its calls are recorded
 *   where they begin (the step itself comes after TeX has read all arguments, i.e. where the box ends).
 * - `\@startsection`, `\@sect` (memoir's `\M@sect`), `\@ssect`, `\@chapter`, `\@schapter`: headings with their titles, starred too.
 * - `\@item`: list items with the printed label ("(a)", "6.") and whether the list made it (`\item` without
 *   `[…]`); the list counter's step inside it is the item.
 * - `\@begintheorem`, `\@opargbegintheorem` (kernel and amsthm): the printed theorem name ("Exercise$^\star$").
 * - `\label` (+ amsmath's `\ltx@label`, which displays use): the key and `\@currentlabel`.
 * - `\@missingfileerror`: a missing file (a private .sty, a figure, a chapter) is an error TeX goes on past; in
 *   nonstop mode the kernel's prompt for another name would end the run.
 * - graphicx/graphics get the `draft` option.
 */
const INSTRUMENT_BASE = "tutor-trace-instrument";
export const INSTRUMENT_FILE = `${INSTRUMENT_BASE}.tex`;

/** The file extension of the trace TeX writes, in parts: `<jobname>.tutortrace0`, `…1`, … (read in order). */
export const TRACE_EXTENSION = ".tutortrace";

/** Bump when the record format changes; the parser checks it. */
export const TRACE_FORMAT = 1;

export const INSTRUMENT_TEX = String.raw`% Course tutor instrumentation (lib/course/latex/engine/instrumentation.ts); not part of the course.
\expandafter\ifx\csname tutor@out\endcsname\relax\else\expandafter\endinput\fi
\catcode"40=11\relax
\newwrite\tutor@out
\newcount\tutor@part
\immediate\openout\tutor@out=\jobname.tutortrace0\relax
% TeX buffers what it writes: a run killed at the time limit would leave nothing. At \begin{document}, each
% heading and each file the trace goes on in a new part (.tutortrace1, 2, …), so what came before is on disk.
\def\tutor@flush{\immediate\closeout\tutor@out\global\advance\tutor@part\@ne
  \immediate\openout\tutor@out=\jobname.tutortrace\the\tutor@part\relax}
{\catcode"09=12\relax\gdef\tutor@sep{^^I}}%
\PassOptionsToPackage{draft}{graphicx}\PassOptionsToPackage{draft}{graphics}%
\newcount\tutor@depth
\newtoks\tutor@toks
\gdef\tutor@macro{}%
\ifdefined\CurrentFileUsed
  % The kernel leaves \CurrentFileUsed on the \include'd file after it (LaTeX 2022: the text after \include{ch1} in
  % main.tex is "ch1.tex" there), so the trace keeps its own stack of the files being read, pushed and popped by
  % the file hooks; before the first push, the kernel's names
  \newcount\tutor@fdepth
  \def\tutor@push{\global\advance\tutor@fdepth\@ne
    \expandafter\xdef\csname tutor@fp@\the\tutor@fdepth\endcsname{\CurrentFilePathUsed}%
    \expandafter\xdef\csname tutor@fn@\the\tutor@fdepth\endcsname{\CurrentFileUsed}\tutor@setcur}
  \def\tutor@pop{\ifnum\tutor@fdepth>\z@\global\advance\tutor@fdepth\m@ne\fi\tutor@setcur}
  \def\tutor@setcur{%
    \expandafter\global\expandafter\let\expandafter\tutor@cpath\csname tutor@fp@\the\tutor@fdepth\endcsname
    \expandafter\global\expandafter\let\expandafter\tutor@cname\csname tutor@fn@\the\tutor@fdepth\endcsname}
  \def\tutor@curname{\ifnum\tutor@fdepth>\z@\tutor@cname\else\CurrentFileUsed\fi}
  \def\tutor@where{\ifnum\tutor@fdepth>\z@\detokenize\expandafter{\tutor@cpath}\tutor@sep\detokenize\expandafter{\tutor@cname}%
    \else\detokenize\expandafter{\CurrentFilePathUsed}\tutor@sep\detokenize\expandafter{\CurrentFileUsed}\fi\tutor@sep\the\inputlineno}
\else
  \def\tutor@where{\tutor@sep\jobname.tex\tutor@sep\the\inputlineno}
  \let\tutor@push\relax\let\tutor@pop\relax
\fi
% one record, one line: LaTeX's \newlinechar (^^J, as in \MessageBreak) would break a recorded body in two
\long\def\tutor@rec#1{\begingroup\newlinechar\m@ne\immediate\write\tutor@out{#1}\endgroup}
\def\tutor@D#1{\detokenize\expandafter{#1}}
% \tutor@printed{tokens}: their printed (protected-expanded) form, into \tutor@p. Expanded inside an \hbox, the
% mode a label, a theorem name or a title is typeset in: a hook often runs in vertical mode (\@item after \par), where
% a mode-testing macro in the tokens (amsthm's proof label "Proof\@addpunct{.}": \ifnum\spacefactor) is an error
\newbox\tutor@box
\long\def\tutor@printed#1{\setbox\tutor@box\hbox{\let\protect\@unexpandable@protect
  \xdef\tutor@ptmp{#1}}\let\tutor@p\tutor@ptmp}
\tutor@rec{V\tutor@sep ${TRACE_FORMAT}\tutor@sep\detokenize\expandafter{\fmtname}\tutor@sep\detokenize\expandafter{\fmtversion}}
% ---- counter steps
% amsmath typesets an align twice, the first time only to measure it (\ifmeasuring@), and puts the counters back:
% steps made then were never printed
\long\def\tutor@step#1#2#3{% #1 via (r = refstepcounter, s = stepcounter), #2 the original command, #3 counter
  \ifnum\ifx\ifmeasuring@\iftrue\@ne\else\tutor@depth\fi>\z@ #2{#3}\else
    \global\advance\tutor@depth\@ne #2{#3}\global\advance\tutor@depth\m@ne
    \tutor@printed{#3}\let\tutor@c\tutor@p
    \tutor@printed{\csname the#3\endcsname}%
    \ifx#1r\let\tutor@l\@currentlabel\else\let\tutor@l\@empty\fi
    \tutor@rec{S\tutor@sep\tutor@where\tutor@sep#1\tutor@sep\tutor@D\tutor@c\tutor@sep\number\csname c@#3\endcsname
      \tutor@sep\tutor@D\tutor@p\tutor@sep\tutor@D\tutor@l\tutor@sep\tutor@D\@currenvir\tutor@sep\tutor@D\tutor@macro}%
    \global\let\tutor@macro\@empty
    \tutor@envdef
  \fi}
% the first step inside an environment records its definition once (a \newenvironment box prints its name there)
\def\tutor@document{document}
\def\tutor@envdef{\ifx\@currenvir\tutor@document\else\ifcsname tutor@env@\@currenvir\endcsname\else
  \expandafter\global\expandafter\let\csname tutor@env@\@currenvir\endcsname\relax
  \tutor@rec{N\tutor@sep\tutor@where\tutor@sep\tutor@D\@currenvir\tutor@sep\expandafter\meaning\csname\@currenvir\endcsname}\fi\fi}
% Each hook keeps the definition it wraps under a name of its own (\tutor@o@<n>), so wrapping a command again — after
% a package redefined it around the tutor's wrapper — never makes a loop; the depth counter records the outer step
% only. \tutor@h@\cmd is the tutor's own definition: when \cmd is no longer it, \tutor@recheck hooks it again.
\newcount\tutor@gen
% \tutor@keep\cmd: a copy of \cmd under a new name, that name in \tutor@cp
\def\tutor@keep#1{\global\advance\tutor@gen\@ne\edef\tutor@cp{\expandafter\noexpand\csname tutor@o@\the\tutor@gen\endcsname}%
  \expandafter\let\tutor@cp#1}
\def\tutor@mark#1{\expandafter\let\csname tutor@h@\string#1\endcsname#1}
\def\tutor@hookstep{\tutor@keep\stepcounter\edef\stepcounter{\noexpand\tutor@step s\expandafter\noexpand\tutor@cp}\tutor@mark\stepcounter}
% cleveref gives \refstepcounter an optional argument (\refstepcounter[definition]{theorem}): kept as it was given
\def\tutor@hookrefstep#1{\tutor@keep#1\edef#1{\noexpand\@ifnextchar[%]
    {\noexpand\tutor@refopt\expandafter\noexpand\tutor@cp}{\noexpand\tutor@step r\expandafter\noexpand\tutor@cp}}\tutor@mark#1}
\def\tutor@refopt#1[#2]#3{\tutor@step r{#1[#2]}{#3}}
\tutor@hookstep
% Packages redefine the stepping commands after the tutor hooked them: amsmath's amstext \stepcounter in the preamble,
% cleveref's \appendix (\H@refstepcounter anew, so every later heading went unrecorded). Checked where steps
% happen: each \begin, heading and file, and at \begin{document} (local, like the redefinition it follows).
\def\tutor@ifchanged#1{\expandafter\ifx\csname tutor@h@\string#1\endcsname#1\expandafter\@gobble\else\expandafter\@firstofone\fi}
\def\tutor@recheck{%
  \tutor@ifchanged\stepcounter\tutor@hookstep
  \tutor@ifchanged\refstepcounter{\tutor@hookrefstep\refstepcounter}%
  \ifdefined\H@refstepcounter\ifx\H@refstepcounter\tutor@kernelrefstep\else
    \tutor@ifchanged\H@refstepcounter{\tutor@hookrefstep\H@refstepcounter}\fi\fi}
% ---- environments: the inner macros of the robust \begin and \end
\expandafter\let\expandafter\tutor@o@begin\csname begin \endcsname
\expandafter\def\csname begin \endcsname#1{\tutor@rec{B\tutor@sep\tutor@where\tutor@sep\detokenize{#1}}\tutor@check\tutor@o@begin{#1}}
\let\tutor@check\relax
\expandafter\let\expandafter\tutor@o@end\csname end \endcsname
\expandafter\def\csname end \endcsname#1{\tutor@rec{E\tutor@sep\tutor@where\tutor@sep\detokenize{#1}}\tutor@o@end{#1}}
% ---- box macros: a \newcommand whose body steps a counter records its definition and its calls
\long\def\tutor@ifsteps#1{\tutor@toks{#1}\edef\tutor@tmp{\noexpand\in@{\detokenize{stepcounter}}{\detokenize\expandafter{\the\tutor@toks}}}%
  \tutor@tmp\ifin@\expandafter\@firstoftwo\else\expandafter\@secondoftwo\fi}
% every \newcommand is recorded (a box prints its name through helpers: \exampletitle{\theexample}); one whose
% body steps a counter, unless internal (an @ in its name), is a box macro: wrapped so that its calls are recorded
\long\def\tutor@boxmacro#1#2{%
  \tutor@ifsteps{#2}{\def\tutor@s{1}}{\def\tutor@s{0}}%
  \edef\tutor@n{\expandafter\@gobble\string#1}%
  \edef\tutor@tmp{\noexpand\in@{\string @}{\tutor@n}}\tutor@tmp\ifin@\def\tutor@s{0}\fi
  \tutor@rec{M\tutor@sep\tutor@where\tutor@sep\tutor@n\tutor@sep\tutor@s\tutor@sep\detokenize\expandafter{\the\tutor@toks}}%
  \if1\tutor@s
    \expandafter\let\csname tutor@m@\string#1\endcsname#1%
    \protected\edef#1{\noexpand\tutor@call{\tutor@n}\expandafter\noexpand\csname tutor@m@\string#1\endcsname}%
  \fi}
\def\tutor@call#1{\gdef\tutor@macro{#1}\tutor@rec{C\tutor@sep\tutor@where\tutor@sep\detokenize{#1}}}
\let\tutor@o@argdef\@argdef
\long\def\@argdef#1[#2]#3{\tutor@o@argdef#1[{#2}]{#3}\tutor@boxmacro#1{#3}}
\let\tutor@o@xargdef\@xargdef
\long\def\@xargdef#1[#2][#3]#4{\tutor@o@xargdef#1[{#2}][{#3}]{#4}\tutor@boxmacro#1{#4}}
% ---- a missing file is an error TeX goes on past (the kernel's prompt for another name ends a nonstop run);
% the kernel then loads the name "given" instead: this file, which does nothing when read again
\def\@missingfileerror#1#2{\@latex@error{File '#1.#2' not found}{The course tutor's run skips a missing file.}%
  \let\@missingfile@area\@empty\def\@missingfile@base{${INSTRUMENT_BASE}}\def\@missingfile@ext{tex}}
% ---- hooks on the final definitions (hyperref, amsthm, enumitem, …): at the end of \begin{document}
\def\tutor@late{%
  % without hyperref's \H@refstepcounter apart (it is \let to the kernel's), the one hook on \refstepcounter does
  \let\tutor@kernelrefstep\refstepcounter
  \tutor@recheck\let\tutor@check\tutor@recheck
  \let\tutor@o@label\label
  \def\label##1{\tutor@labelrec{##1}\tutor@o@label{##1}}%
  \ifdefined\ltx@label\ifx\ltx@label\tutor@o@label\let\ltx@label\label\else
    \let\tutor@o@ltxlabel\ltx@label\def\ltx@label##1{\tutor@labelrec{##1}\tutor@o@ltxlabel{##1}}\fi\fi
  \ifdefined\@item\let\tutor@o@item\@item
    \def\@item[##1]{\if@noitemarg\def\tutor@auto{1}\else\def\tutor@auto{0}\fi
      \global\advance\tutor@depth\@ne\tutor@o@item[{##1}]\global\advance\tutor@depth\m@ne
      \let\tutor@lc\@empty\if@nmbrlist\tutor@printed{\@listctr}\let\tutor@lc\tutor@p\fi
      \tutor@printed{##1}%
      \tutor@rec{I\tutor@sep\tutor@where\tutor@sep\tutor@D\tutor@p\tutor@sep\tutor@D\@currenvir\tutor@sep\the\@listdepth
        \tutor@sep\tutor@auto\tutor@sep\tutor@D\tutor@lc}}\fi
  \ifdefined\@begintheorem\let\tutor@o@begintheorem\@begintheorem
    \def\@begintheorem##1##2{\tutor@thmrec{##1}{##2}\tutor@o@begintheorem{##1}{##2}}\fi
  \ifdefined\@opargbegintheorem\let\tutor@o@opargbegintheorem\@opargbegintheorem
    \def\@opargbegintheorem##1##2##3{\tutor@thmrec{##1}{##2}\tutor@o@opargbegintheorem{##1}{##2}{##3}}\fi
  \def\tutor@secname{section}%
  \ifdefined\@startsection\let\tutor@o@startsection\@startsection
    \def\@startsection##1##2{\tutor@headstart\def\tutor@secname{##1}\tutor@o@startsection{##1}{##2}}\fi
  \ifdefined\ttl@useclass\let\tutor@o@useclass\ttl@useclass
    \def\ttl@useclass{\tutor@headstart\tutor@o@useclass}\fi
  \ifdefined\chapter\let\tutor@o@chaptercmd\chapter\protected\def\chapter{\tutor@headstart\tutor@o@chaptercmd}\fi
  \ifdefined\@sect\let\tutor@o@sect\@sect
    \long\def\@sect##1##2##3##4##5##6[##7]##8{\tutor@headrec{##1}{1}{##8}\tutor@o@sect{##1}{##2}{##3}{##4}{##5}{##6}[{##7}]{##8}}\fi
  % memoir's sections: \@startsection → \M@sect{name}{level}…[toc][head]{title} (it steps the counter itself)
  \ifdefined\M@sect\let\tutor@o@Msect\M@sect
    \long\def\M@sect##1##2##3##4##5##6[##7][##8]##9{\tutor@headrec{##1}{1}{##9}\tutor@o@Msect{##1}{##2}{##3}{##4}{##5}{##6}[{##7}][{##8}]{##9}}\fi
  \ifdefined\@ssect\let\tutor@o@ssect\@ssect
    \long\def\@ssect##1##2##3##4##5{\tutor@headrec{\tutor@secname}{0}{##5}\tutor@o@ssect{##1}{##2}{##3}{##4}{##5}}\fi
  \ifdefined\@chapter\let\tutor@o@chapter\@chapter
    \long\def\@chapter[##1]##2{\tutor@headrec{chapter}{1}{##2}\tutor@o@chapter[{##1}]{##2}}\fi
  \ifdefined\@schapter\let\tutor@o@schapter\@schapter
    \long\def\@schapter##1{\tutor@headrec{chapter}{0}{##1}\tutor@o@schapter{##1}}\fi
  \tutor@hookttl{straight}\tutor@hookttl{top}\tutor@hookttl{part}\tutor@hookttl{page}%
  % a page being shipped out is no place in the text: what the output routine steps (zref-abspage's \AtBeginShipout
  % page counter, a running head's counters) is recorded as nothing, wherever TeX was reading when the page filled
  \ifdefined\@outputpage\let\tutor@o@outputpage\@outputpage
    \def\@outputpage{\global\advance\tutor@depth\@ne\tutor@o@outputpage\global\advance\tutor@depth\m@ne}\fi
  \tutor@rec{D\tutor@sep\tutor@where}\tutor@flush
}
% a label key as LaTeX writes it (keys may hold macros: eoce_\arabic{chapter}_\arabic{eoce} → eoce_1_3)
% titlesec replaces \@sect and \@chapter by \ttl@<class>@i{name}[short]{title}; \ifttl@label is false when starred
\def\tutor@hookttl#1{\expandafter\ifx\csname ttl@#1@i\endcsname\relax\else
  \expandafter\let\csname tutor@o@ttl@#1\expandafter\endcsname\csname ttl@#1@i\endcsname
  \expandafter\long\expandafter\def\csname ttl@#1@i\endcsname##1[##2]##3{%
    \tutor@headrec{##1}{\tutor@ttlnumbered}{##3}\csname tutor@o@ttl@#1\endcsname{##1}[{##2}]{##3}}\fi}
% (apart, so that the conditional is never met while TeX skips the branch above without titlesec)
\def\tutor@ttlnumbered{\csname ifttl@label\endcsname1\else0\fi}
\def\tutor@labelrec#1{\tutor@printed{#1}\tutor@rec{L\tutor@sep\tutor@where\tutor@sep\tutor@D\tutor@p\tutor@sep\tutor@D\@currentlabel}}
\long\def\tutor@thmrec#1#2{\tutor@printed{#2}%
  \tutor@rec{T\tutor@sep\tutor@where\tutor@sep\detokenize{#1}\tutor@sep\tutor@D\tutor@p\tutor@sep\tutor@D\@currenvir}}
% a heading: its level, 1 = numbered / 0 = starred, the line its command began on (TeX is past a title that runs over
% lines when the heading is recorded), the title as printed ("Exercises \thesection" → "Exercises 2.1"), as written
\def\tutor@headstart{\tutor@check\xdef\tutor@headline{\the\inputlineno}\ifdefined\CurrentFileUsed\xdef\tutor@headfile{\tutor@curname}\fi}
\gdef\tutor@headline{0}\gdef\tutor@headfile{}
\def\tutor@headat{\ifdefined\CurrentFileUsed\edef\tutor@tmp{\tutor@curname}\else\let\tutor@tmp\tutor@headfile\fi
  \ifx\tutor@tmp\tutor@headfile\let\tutor@hl\tutor@headline\else\def\tutor@hl{0}\fi}
\long\def\tutor@headrec#1#2#3{\tutor@printed{#1}\let\tutor@c\tutor@p\tutor@printedtitle{#3}\tutor@headat
  \tutor@rec{H\tutor@sep\tutor@where\tutor@sep\tutor@D\tutor@c\tutor@sep#2\tutor@sep\tutor@hl\tutor@sep\tutor@D\tutor@p\tutor@sep\detokenize{#3}}%
  \gdef\tutor@headline{0}\tutor@flush}
\long\def\tutor@printedtitle#1{\begingroup\let\label\@gobble\let\index\@gobble\let\footnote\@gobble\let\\\relax\let\newline\relax
  \tutor@printed{#1}\expandafter\endgroup\expandafter\def\expandafter\tutor@p\expandafter{\tutor@p}}
% the end: with the number of pages shipped out (LaTeX 2020-10 and later; -1 before)
\def\tutor@done{\tutor@rec{Z\tutor@sep\tutor@where\tutor@sep\ifdefined\ReadonlyShipoutCounter\the\ReadonlyShipoutCounter\else-1\fi}\immediate\closeout\tutor@out\global\let\tutor@rec\@gobble\global\let\tutor@flush\relax}
\ifdefined\AddToHook
  \AddToHook{begindocument/end}{\tutor@late}
  \AddToHook{enddocument/end}{\tutor@done}
  \AddToHook{file/before}{\tutor@push\tutor@rec{F\tutor@sep\tutor@where}\tutor@flush\tutor@check}
  \AddToHook{file/after}{\tutor@rec{G\tutor@sep\tutor@where}\tutor@pop}
\else
  \AtBeginDocument{\tutor@late}\AtEndDocument{\tutor@done}
\fi
\catcode"40=12\relax
`;
