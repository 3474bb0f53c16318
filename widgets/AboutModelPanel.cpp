#include "AboutModelPanel.h"

namespace stdp::gui {

AboutModelPanel::AboutModelPanel(QWidget* parent) : QTextBrowser(parent) {
    setOpenExternalLinks(true);
    setHtml(html());
}

QString AboutModelPanel::html() {
    return tr(R"(
<h3>Event-based STDP representation learning</h3>
<p>Tavanaei, Masquelier &amp; Maida, <i>Neural Networks</i> 105 (2018). One layer of K spiking
neurons learns the p&times;p patches of images; each neuron's weights become a receptive field.</p>
<h4>1. Encode</h4>
<p>Each pixel of intensity v &isin; [0,1] spikes with probability v at each of T time steps.</p>
<h4>2. Integrate</h4>
<p>U<sub>j</sub>(t) = e<sup>&minus;1/&tau;<sub>m</sub></sup> U<sub>j</sub>(t&minus;1) +
&Sigma;<sub>i</sub> W<sub>ij</sub> y<sub>i</sub>(t) &nbsp; (&tau;<sub>m</sub> = 0: no memory,
as in the authors' code).</p>
<h4>3. Inhibit and fire</h4>
<p>P<sub>j</sub> = exp(U<sub>j</sub>/&tau;<sub>s</sub>) / &Sigma;<sub>k</sub>
exp(U<sub>k</sub>/&tau;<sub>s</sub>); neuron j fires when P<sub>j</sub> &ge; &theta;.
Lower temperature &tau;<sub>s</sub> = harder competition.</p>
<h4>4. Learn (event-based STDP)</h4>
<p>When neuron j fires, for every input i:<br>
spiked in [t&minus;&epsilon;, t]: W<sub>ij</sub> += &mu;(1 &minus; W<sub>ij</sub>(1+&lambda;))
&nbsp; (LTP)<br>
otherwise: W<sub>ij</sub> &minus;= &mu;<sub>d</sub> W<sub>ij</sub>(1+&lambda;) &nbsp; (LTD)<br>
Each weight drifts to its input's spike probability given that the neuron wins: a winner's field
moves towards the patches it wins (online vector quantisation).</p>
<h4>5. Adapt the threshold</h4>
<p>&theta; += &rho;(n<sub>fired</sub> &minus; 1) after every step, so about one neuron fires per
step.</p>
<h4>Reconstruction (protocol A)</h4>
<p>x&#770; = &Sigma;<sub>j</sub> c<sub>j</sub> w<sub>j</sub> / &Sigma;<sub>j</sub> c<sub>j</sub>
with c<sub>j</sub> the spike counts of the frozen layer; RMSE on held-out images.</p>
<h4>What to watch for</h4>
<ul>
<li><b>Fields</b> start as noise and become strokes, edges and blobs after a few images; with
&mu; = 5&middot;10<sup>&minus;4</sup> this takes tens of images.</li>
<li><b>&theta;</b> falls or rises until about one spike per step (code statistics: spikes/step
&rarr; 1). Turn adaptation off and watch the activity drift.</li>
<li><b>Dead neurons</b> (red) never win, so never learn. Raise the temperature or lower &theta;.
<b>Dominant</b> ones (blue) win everything and become blurry averages.</li>
<li><b>RMSE</b> on the validation images should fall as fields specialise; the weight histogram
spreads towards 0 and 1.</li>
<li>Slow the speed to a few steps per second to follow every spike in the raster and every
weight change in the mosaic.</li>
</ul>
)");
}

}  // namespace stdp::gui
