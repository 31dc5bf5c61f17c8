/* The lecture slides (_ext/slides.py): a 16:9 deck at 1280x720, the
   speaker view on "s" (reveal.js's notes plugin) and print mode on
   ?print-pdf, all from the site's own copy of reveal.js. */
Reveal.initialize({
  width: 1280,
  height: 720,
  margin: 0.02,
  center: false,
  hash: true,
  slideNumber: "c/t",
  transition: "none",
  plugins: [RevealNotes],
});
// KaTeX's fonts arrive after the first layout and change the text's
// height: size the slide's box (r-stretch) again once they are there
document.fonts.addEventListener("loadingdone", () => Reveal.layout());
