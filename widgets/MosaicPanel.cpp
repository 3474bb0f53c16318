#include "MosaicPanel.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "ReceptiveFieldMosaic.h"

namespace stdp::gui {

namespace {
constexpr int kMargin = 4;

QToolButton* zoomButton(const QString& text, const QString& tip, const QKeySequence& key,
                        QWidget* owner) {
    auto* action = new QAction(text, owner);
    action->setShortcut(key);
    action->setShortcutContext(Qt::WindowShortcut);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    owner->addAction(action);
    auto* button = new QToolButton;
    button->setDefaultAction(action);
    button->setAutoRaise(true);
    return button;
}
}  // namespace

MosaicPanel::MosaicPanel(QWidget* parent)
    : QWidget(parent),
      mosaic_(new ReceptiveFieldMosaic),
      contrast_(new QComboBox),
      scroll_(new QScrollArea),
      zoom_readout_(new QLabel) {
    auto* title = new QLabel(tr("<b>Receptive fields</b>"));
    title->setToolTip(tr("Click a field to inspect its neuron; hover it for its wins and θ."));
    title->setWordWrap(true);  // two lines rather than a cut word when the column is narrow
    contrast_->addItems({tr("Shared contrast"), tr("Per-neuron contrast")});
    contrast_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    contrast_->installEventFilter(this);
    mosaic_->installEventFilter(this);
    contrast_->setToolTip(
        tr("Shared: one grey scale for all fields (compares strengths). "
           "Per-neuron: each field stretched to its own range (shows shapes)."));
    zoom_out_ = zoomButton(tr("−"), tr("Smaller fields"), QKeySequence::ZoomOut, this);
    zoom_in_ = zoomButton(tr("+"), tr("Larger fields"), QKeySequence::ZoomIn, this);
    fit_ =
        zoomButton(tr("Fit"), tr("Every field in view"), QKeySequence(Qt::CTRL | Qt::Key_0), this);
    zoom_readout_->setObjectName(QStringLiteral("zoomReadout"));
    zoom_readout_->setToolTip(tr("Size of one field on screen"));

    auto* header = new QHBoxLayout;
    header_ = header;
    header->addWidget(title, 1);
    header->addWidget(contrast_);
    header->addWidget(zoom_out_);
    header->addWidget(zoom_in_);
    header->addWidget(fit_);
    header->addWidget(zoom_readout_);

    scroll_->setWidget(mosaic_);
    scroll_->setWidgetResizable(true);  // fitted: fills the view; zoomed: as tall as it needs
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setAlignment(Qt::AlignHCenter | Qt::AlignTop);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(kMargin, kMargin, kMargin, kMargin);
    layout->addLayout(header);
    layout->addWidget(scroll_, 1);

    connect(contrast_, &QComboBox::currentIndexChanged, this, [this](int i) {
        mosaic_->setContrast(i == 0 ? Contrast::Shared : Contrast::PerNeuron);
    });
    connect(zoom_in_->defaultAction(), &QAction::triggered, mosaic_, &ReceptiveFieldMosaic::zoomIn);
    connect(zoom_out_->defaultAction(), &QAction::triggered, mosaic_,
            &ReceptiveFieldMosaic::zoomOut);
    connect(fit_->defaultAction(), &QAction::triggered, mosaic_, &ReceptiveFieldMosaic::fitToView);
    connect(mosaic_, &ReceptiveFieldMosaic::zoomChanged, this, &MosaicPanel::onZoomChanged);
    updateZoomControls();
    contrast_->setMinimumWidth(contrast_->sizeHint().width());
}

bool MosaicPanel::eventFilter(QObject* watched, QEvent* event) {
    // QComboBox keeps its minimum size from the first font it had: with larger text (presentation
    // mode) the header would squeeze it and cut its text. Make its minimum its new size once it
    // has taken the font in.
    // Fitted, a field's size follows the view: the readout with it (it kept the size of the
    // first layout, "16 px" beside 32-pixel fields at 1600x1000).
    if (watched == mosaic_ && event->type() == QEvent::Resize)
        QTimer::singleShot(0, this, [this] { zoom_readout_->setText(zoomText()); });
    if (watched == contrast_ && event->type() == QEvent::FontChange)
        QTimer::singleShot(0, this, [this] {
            contrast_->setMinimumWidth(0);
            contrast_->setMinimumWidth(contrast_->sizeHint().width());
        });
    return QWidget::eventFilter(watched, event);
}

QString MosaicPanel::zoomText() const {
    return tr("%1 px").arg(mosaic_->fieldPixels());
}

void MosaicPanel::onZoomChanged(int neuron, QPoint anchor) {
    // The scroll area lays the resized mosaic out on its next event: scroll once that is done.
    QTimer::singleShot(0, this, [this, neuron, anchor] {
        updateZoomControls();
        const QRect cell = mosaic_->cellRect(neuron);
        if (cell.isNull())
            return;
        if (anchor.x() >= 0) {
            // Keep the field under the mouse where it was (anchor: viewport coordinates).
            scroll_->horizontalScrollBar()->setValue(cell.center().x() - anchor.x());
            scroll_->verticalScrollBar()->setValue(cell.center().y() - anchor.y());
        } else {
            scroll_->ensureVisible(cell.center().x(), cell.center().y(), cell.width(),
                                   cell.height());
        }
    });
    updateZoomControls();
}

void MosaicPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    updateFitRoom();
}

void MosaicPanel::updateFitRoom() {
    // Fitted, the window is asked for the height that shows every field readable (a narrow
    // window's layout gave the mosaic less than its four rows of K = 64); zoomed, it scrolls.
    const int room = mosaic_->isFitted() ? mosaic_->readableFitHeight(scroll_->width()) : 0;
    if (room != scroll_->minimumHeight())
        scroll_->setMinimumHeight(room);
}

void MosaicPanel::updateZoomControls() {
    updateFitRoom();
    zoom_in_->defaultAction()->setEnabled(mosaic_->canZoomIn());
    zoom_out_->defaultAction()->setEnabled(!mosaic_->isFitted());
    fit_->defaultAction()->setEnabled(!mosaic_->isFitted());
    zoom_readout_->setText(zoomText());
}

void MosaicPanel::addHeaderWidget(QWidget* widget) {
    header_->insertWidget(header_->indexOf(contrast_), widget);
}

}  // namespace stdp::gui
