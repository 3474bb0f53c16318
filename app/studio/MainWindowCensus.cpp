// The Gabor census under the mosaic: its line, its Mark switch, and what a new network resets.
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>

#include "FieldCensusRunner.h"
#include "FittingLabel.h"
#include "MainWindow.h"
#include "NeuronInspector.h"
#include "ReceptiveFieldMosaic.h"
#include "SimulationController.h"

namespace stdp::studio {

namespace {
constexpr int kCensusLines = 2;
const QString kCensusMarksKey = QStringLiteral("censusMarks");
}  // namespace

// Under the fields, what they are: the Gabor census, its criterion in the tooltip.
QHBoxLayout* MainWindow::buildCensusRow() {
    census_ = new FieldCensusRunner(this);
    census_->networkReplaced(controller_->generation());
    census_->setOtherLoadProbe([c = controller_] { return c->otherLoad(); });
    // Two lines at most: at 1280x720 the full legend would take three and squeeze the mosaic.
    census_line_ = new gui::FittingLabel(kCensusLines);
    census_line_->setObjectName(QStringLiteral("censusLine"));
    census_line_->setContentsMargins(4, 0, 4, 2);
    // At least one line: a layout in a splitter may not ask a word-wrapped label for its height.
    census_line_->setMinimumHeight(census_line_->fontMetrics().lineSpacing() + 2);
    census_line_->setBaseToolTip(tr("<p>How many fields are localised oriented Gabors, as V1 "
                                    "simple cells are, and what the others are.</p><p>%1</p>")
                                     .arg(FieldCensusRunner::criterionText().toHtmlEscaped()));
    census_line_->setWhatsThis(census_line_->toolTip());
    census_marks_ = new QCheckBox(tr("Mark"));
    census_marks_->setObjectName(QStringLiteral("censusMarks"));
    census_marks_->setToolTip(
        tr("Tag each field in its corner with the colour of its class; "
           "the line becomes the legend"));
    connect(census_, &FieldCensusRunner::censusReady, this, &MainWindow::showCensus);
    // Remembered as the other view switches are.
    census_marks_->setChecked(QSettings().value(kCensusMarksKey, false).toBool());
    connect(census_marks_, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue(kCensusMarksKey, on);
        showCensus();
    });
    auto* census_row = new QHBoxLayout;
    census_row->setContentsMargins(0, 0, 4, 0);
    census_row->addWidget(census_line_, 1);
    census_row->addWidget(census_marks_, 0, Qt::AlignTop);
    return census_row;
}

void MainWindow::resetCensus(const Settings& s) {
    census_->networkReplaced(controller_->generation());
    const bool census = FieldCensusRunner::applies(s.structure.patch_size, s.structure.onoff);
    census_stale_ = false;
    census_line_->setStyleSheet(QString());
    census_line_->setTexts({census ? tr("Gabor census: fitting the fields…")
                                   : FieldCensusRunner::notApplicableText()});
    census_marks_->setEnabled(census);
    mosaic_->setTags({});
    inspector_->setFieldNotes({});
}

void MainWindow::showCensus() {
    const CensusPtr c = census_->latest();
    if (!c)
        return;
    const bool marks = census_marks_->isChecked();
    const SnapshotPtr now = controller_->latest();
    census_stale_ = now && FieldCensusRunner::stale(*c, *now);
    const QString updating = census_stale_ ? tr(" · updating…") : QString();
    census_line_->setTexts({FieldCensusRunner::summary(c->census, marks) + QStringLiteral(" — ") +
                                FieldCensusRunner::ageText(*c) + updating,
                            FieldCensusRunner::summary(c->census, marks, true) +
                                QStringLiteral(" — ") + FieldCensusRunner::ageText(*c, true) +
                                updating});
    // Greyed: counts of fields the network has since relearned (a loaded machine starves the
    // fits for minutes).
    census_line_->setStyleSheet(census_stale_ ? QStringLiteral("color: gray;") : QString());
    mosaic_->setTags(marks ? FieldCensusRunner::tags(c->census) : QVector<gui::FieldTag>{});
    inspector_->setFieldNotes(FieldCensusRunner::notes(c->census));
}

void MainWindow::ageCensus(const Snapshot& now) {
    const CensusPtr c = census_->latest();
    if (c && FieldCensusRunner::stale(*c, now) != census_stale_)
        showCensus();
}

}  // namespace stdp::studio
